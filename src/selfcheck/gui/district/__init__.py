"""The district desk's window (区县汇总核验): roster, receiving, status, comparison, problems, one school."""
