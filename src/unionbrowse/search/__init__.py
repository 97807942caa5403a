"""Finding facts and passages as Chinese readers type: query, documents, index, shortlist, scoring."""
