"""The workbooks examops writes (openpyxl): the signed bureau report, room papers, the roll-up, roster error lists."""
