"""TIKet: the SOP *Permohonan Layanan Penanganan Kendala TIK* as a serverless helpdesk.

Layout (read top-down):
- ``domain/``   pure rules: lifecycle, working calendar, time standards, SKM maths.
- ``services/`` use cases: intake, actions, sweep, survey, reports, sign-in.
- ``adapters/`` the outside world: DynamoDB store, email transports, link signer, clock.
- ``web/``      the Flask app (API, action pages, staff API, local-only dev routes).
- ``jobs.py``   scheduled entry points for Zappa; ``cli.py`` the ``tiket`` command.
- ``config.py`` settings from the environment; ``messages.py`` all user-facing text.
"""
