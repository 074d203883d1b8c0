"""The daily inspection (巡检): each device's health read over SSH, judged against
`policy/inspection.yaml`, compared with the previous inspection, written as a workbook,
Markdown, HTML and JSON, and kept in the backup repository under `inspections/`.

    model      facts, findings, one device's result
    readers/   one module per vendor: the health displays -> facts (registered readers)
    policy     the validated thresholds (per platform, role, device)
    collect    the Nornir task: read a device's health displays
    judge      facts + policy + previous inspection -> findings and check statuses
    checks     one function per check (used by judge)
    history    the inspections kept in git: new / cleared, trends, the month
    workbook   the XLSX sheet; report: Markdown and HTML
"""
