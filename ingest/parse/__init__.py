"""Parse: text → sections, paragraphs, chunks and the cells of tables 二/三/四."""
