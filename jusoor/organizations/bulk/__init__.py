"""Bulk import and export of organisations (CSV and XLSX).

- `columns`: the columns of the import template and of the export;
- `encoding`: how a CSV's text encoding is recognised (or the file refused, never read as mojibake);
- `parsing`: from uploaded bytes to a header and rows of text (CSV or XLSX, limits);
- `checks`: every row checked and normalised, with row numbers and field names;
- `duplicates`: duplicate registrations and similar names, set-based;
- `messages`: the translated messages of row issues and failures (stored as codes, translated when shown);
- `upload`: the upload form that runs parsing and checks;
- `jobs`: reading import jobs (access, preview rows, report rows);
- `writers`: CSV and XLSX output (template, report, export).

Writing organisations happens in `services/imports.py` only.
"""
