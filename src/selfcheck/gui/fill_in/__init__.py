"""填报: the fill-in screen (navigator, item list, item view and answer controls)."""
