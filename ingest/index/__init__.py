"""Index: paragraphs → embedded chunks in the vector index."""
