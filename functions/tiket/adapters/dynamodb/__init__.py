"""TIKet's storage on DynamoDB: one table (key design in ``table.py``), one module per kind
of item. ``connect`` binds the models to a table and returns every store of the ports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo

from tiket.adapters.dynamodb.assets import DynamoAssets
from tiket.adapters.dynamodb.export_jobs import DynamoExportJobs
from tiket.adapters.dynamodb.figures import DynamoFigures
from tiket.adapters.dynamodb.guards import DynamoIdempotency, DynamoRateCounter
from tiket.adapters.dynamodb.models import Table
from tiket.adapters.dynamodb.outbox import DynamoOutbox
from tiket.adapters.dynamodb.privacy import DynamoPrivacy
from tiket.adapters.dynamodb.staff import DynamoLoginLinks, DynamoStaff
from tiket.adapters.dynamodb.table import table_definition
from tiket.adapters.dynamodb.tickets import DynamoTickets


@dataclass(frozen=True)
class DynamoStores:
    table: Table
    tickets: DynamoTickets
    staff: DynamoStaff
    logins: DynamoLoginLinks
    outbox: DynamoOutbox
    idempotency: DynamoIdempotency
    rates: DynamoRateCounter
    figures: DynamoFigures
    exports: DynamoExportJobs
    assets: DynamoAssets
    privacy: DynamoPrivacy

    def create_table(self) -> None:
        """Create the table when missing (local stack, tests, benches). Production: infra/."""
        client = self.table.client
        try:
            client.describe_table(TableName=self.table.name)
            return
        except client.exceptions.ResourceNotFoundException:
            pass
        client.create_table(**table_definition(self.table.name))
        client.get_waiter("table_exists").wait(TableName=self.table.name)
        client.update_time_to_live(
            TableName=self.table.name,
            TimeToLiveSpecification={"Enabled": True, "AttributeName": "ttl"},
        )


def connect(table: str, host: str | None, region: str, zone: tzinfo) -> DynamoStores:
    bound = Table(table, host, region)
    return DynamoStores(
        table=bound,
        tickets=DynamoTickets(bound, zone),
        staff=DynamoStaff(),
        logins=DynamoLoginLinks(),
        outbox=DynamoOutbox(),
        idempotency=DynamoIdempotency(),
        rates=DynamoRateCounter(),
        figures=DynamoFigures(bound),
        exports=DynamoExportJobs(),
        assets=DynamoAssets(bound),
        privacy=DynamoPrivacy(bound),
    )
