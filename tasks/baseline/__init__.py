"""The hardening baseline audit (issue 15): every configuration against MLPS 2.0 level 3.

- `tree`: a configuration as a tree of lines that keep their line numbers;
- `rules`: the rule files (checks as data), validated on load;
- `check`: evaluating a device's checks -> findings with clause, line and evidence;
- `waivers`: accepted findings until a date;
- `source`: the backups (through the inventory) or one file;
- `report`: console, Markdown, HTML, JSON, SARIF, grouped by device, check or control;
- `remediate`: the automatic fixes as a normalize plan (`audit baseline --plan`).
"""
