"""Photo evidence in the window: the thumbnail strip, background import and the large view."""
