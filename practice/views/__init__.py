"""The practice's staff pages: clients, consults with their live interaction check,
protocol templates and issued protocols.

Views are thin: the helpers of `practice.access` find each record (404 for records the
user may not see), forms validate, `practice.services` and `practice.protocols` write.
Every page reads in a fixed number of queries whatever the number of rows; the tests in
`tests/practice/views/` pin the counts. Every access to a client record, and every refused
attempt, is written to the access log by those helpers (`get_client`, `get_consult`, …) and
by `access.logged_write`: no view writes the log itself.
"""
