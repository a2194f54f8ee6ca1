"""The app's views: safe rendering, citations, the table and check views, upload."""
