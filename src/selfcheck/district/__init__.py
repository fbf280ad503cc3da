"""The district desk (区县汇总核验): roster, certificate registry, campaigns, received reports and summaries."""
