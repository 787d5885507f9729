"""`python -m portal_audit.report`: the files sent to each agency after an evaluation round (one
report per portal, and the national overview), made from the run's results.json and Allure results."""
