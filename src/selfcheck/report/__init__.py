"""The signed PDF report: data model, layout, fonts and export."""
