"""Chinese number formats as Chinese finance and statistics write them: 33,162 and ¥80,000.00.

Django's own zh-hans formats leave the thousands separator empty. Only the grouping is changed here;
dates and everything else come from Django. Plain numbers such as years stay ungrouped, since
USE_THOUSAND_SEPARATOR is off: grouping is asked for where it is wanted (money, counters).
"""

THOUSAND_SEPARATOR = ","
NUMBER_GROUPING = 3
