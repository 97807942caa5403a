"""What is made from the corpus for a reader: records, citations, comparisons, coverage, exports."""
