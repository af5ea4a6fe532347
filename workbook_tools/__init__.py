"""workbook-tools: checks and fills the workbooks of MOPS/OPS active-integration projects."""

__version__ = "0.1.0"
