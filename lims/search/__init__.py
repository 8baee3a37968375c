"""Record search: the query language, the index kept beside the records, the engine that answers
searches, autocomplete, and `matches`, which tells whether one record fits a saved query."""
