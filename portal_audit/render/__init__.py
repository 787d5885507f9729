"""What the audit hands on: tables shared by every output, the Excel workbook, Allure results."""
