"""Questions over stored annual reports → answers that cite table cells and paragraphs (see qa.answer)."""
