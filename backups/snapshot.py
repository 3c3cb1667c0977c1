"""The database as a logical snapshot: every table's rows, read and written through the models of the
migration state the database was at, so an archive taken on SQLite restores into PostgreSQL.

Rows are read from one consistent view of the database (a copy made with SQLite's online backup
API, or one REPEATABLE READ transaction on PostgreSQL) and streamed, table by table, to gzipped
JSON lines, so a large archive never has to fit in memory. Field values go through Django's own
fields in both directions (`to_python`, `get_db_prep_save`): datetimes, decimals, JSON and binary
data come back exactly as they were, whatever the database.

Tables that are not models (SQLite's FTS5 index and its shadow tables) are not exported: they are
indexes over model tables and are rebuilt after a restore.
"""

import base64
import contextlib
import datetime
import decimal
import gzip
import itertools
import json
import os
import sqlite3
import tempfile
import uuid

from django.core.exceptions import ValidationError
from django.core.management.color import no_style
from django.db import DatabaseError, IntegrityError, connections, transaction
from django.db.migrations.executor import MigrationExecutor
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.db.utils import load_backend
from django.utils.duration import duration_iso_string

from backups.archive import MAX_ROW_BYTES, ArchiveDamaged, ArchiveError, ArchiveFromNewerSchema, table_member

ROWS_PER_BATCH = 1000
GZIP_LEVEL = 4


# --- Connections --------------------------------------------------------------------------------


@contextlib.contextmanager
def temporary_connection(settings_dict):
    """A database connection under an alias of its own, known to this thread only while the block runs.

    It is not added to `settings.DATABASES`: nothing else can reach it, and Django's test cases
    allow such connections like any dynamically created one.
    """
    alias = f"backups_{uuid.uuid4().hex[:12]}"
    settings_dict = connections.configure_settings({"default": settings_dict})["default"]
    connection = load_backend(settings_dict["ENGINE"]).DatabaseWrapper(settings_dict, alias)
    connections[alias] = connection
    try:
        yield connection
    finally:
        connection.close()
        del connections[alias]


def sqlite_settings(path):
    return {"ENGINE": "django.db.backends.sqlite3", "NAME": str(path), "OPTIONS": {"timeout": 20}}


@contextlib.contextmanager
def consistent_view(connection, *, workdir=None):
    """The database as it was at one instant, while the site goes on writing.

    SQLite: the online backup API copies the live file in one step (WAL readers never block the
    site's writers) and the rows are read from that copy. PostgreSQL: one REPEATABLE READ, READ ONLY
    transaction sees every table at the same snapshot.
    """
    connection.ensure_connection()
    if connection.vendor == "sqlite":
        with tempfile.TemporaryDirectory(prefix=".clinic-backup-", dir=workdir) as folder:
            path = os.path.join(folder, "snapshot.sqlite3")
            copy = sqlite3.connect(path)
            try:
                with connection.wrap_database_errors:
                    connection.connection.backup(copy)
            finally:
                copy.close()
            with temporary_connection(sqlite_settings(path)) as snapshot:
                yield snapshot
    elif connection.vendor == "postgresql":
        with transaction.atomic(using=connection.alias):
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            yield connection
    else:
        raise ArchiveError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")


# --- Migration state ----------------------------------------------------------------------------


def recorded_migrations(connection):
    """The migrations the database has applied, as sorted (app_label, name) pairs."""
    return sorted(MigrationRecorder(connection).applied_migrations())


def code_loader():
    return MigrationLoader(None, ignore_no_migrations=True)


def refuse_newer_schema(migrations, *, version):
    """An archive whose database ran migrations this code lacks cannot be loaded into its models."""
    known = set(code_loader().disk_migrations)
    unknown = sorted(f"{app}.{name}" for app, name in migrations if (app, name) not in known)
    if unknown:
        listed = ", ".join(unknown[:5]) + (f" and {len(unknown) - 5} more" if len(unknown) > 5 else "")
        raise ArchiveFromNewerSchema(
            f"This archive comes from a newer version of the site (version {version}): its database has "
            f"migrations this code does not know ({listed}). Deploy that version or a later one, then restore."
        )


def applied_nodes(loader, migrations):
    nodes = {key for key in migrations if key in loader.graph.nodes}
    for key, migration in loader.replacements.items():
        if key in loader.graph.nodes and all(tuple(replaced) in migrations for replaced in migration.replaces):
            nodes.add(key)
    return nodes


def leaf_nodes(loader, nodes):
    """The last applied migration of each app (an app's later migrations are its own children)."""
    return sorted(
        node
        for node in nodes
        if not any(child.key in nodes and child.key[0] == node[0] for child in loader.graph.node_map[node].children)
    )


def state_models(loader, migrations):
    """The models as they were at `migrations`, in an order that puts referenced tables first."""
    state = loader.project_state(nodes=leaf_nodes(loader, applied_nodes(loader, migrations)), at_end=True)
    models, tables = [], set()
    for model in state.apps.get_models(include_auto_created=True):
        opts = model._meta
        if opts.proxy or not opts.managed or opts.swapped or opts.db_table in tables:
            continue
        tables.add(opts.db_table)
        models.append(model)
    return in_dependency_order(models)


def in_dependency_order(models):
    """Referenced tables before the tables that point at them, and tables with no relation at all
    last: a table the database fills from other tables' rows (PostgreSQL's trigger-kept vocabulary of
    article words) is then already filled when its turn comes, and keeps what the database counted."""
    by_table = {model._meta.db_table: model for model in models}
    needs = {
        table: {
            field.remote_field.model._meta.db_table
            for field in model._meta.concrete_fields
            if field.is_relation and field.remote_field.model._meta.db_table in by_table
        }
        - {table}
        for table, model in by_table.items()
    }
    referenced = set().union(*needs.values())
    alone = sorted(table for table, required in needs.items() if not required and table not in referenced)
    for table in alone:
        del needs[table]
    ordered = []
    while needs:
        ready = sorted(table for table, required in needs.items() if not required) or sorted(needs)[:1]
        for table in ready:
            ordered.append(by_table[table])
            del needs[table]
            for required in needs.values():
                required.discard(table)
    return ordered + [by_table[table] for table in alone]


def migrate_to(connection, migrations):
    """Bring the target's schema to the archive's migration state (forwards, or backwards after --force)."""
    executor = MigrationExecutor(connection)
    loader = executor.loader
    nodes = applied_nodes(loader, migrations)
    targets = []
    for app_label in sorted(loader.migrated_apps):
        leaves = [node for node in leaf_nodes(loader, nodes) if node[0] == app_label]
        targets.extend(leaves or [(app_label, None)])
    executor.migrate(targets, plan=executor.migration_plan(targets))


# --- Values -------------------------------------------------------------------------------------


def encode(value):
    """A database value as JSON; the field's `to_python` turns it back (see `decode`)."""
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, datetime.date | datetime.time):
        return value.isoformat()
    if isinstance(value, datetime.timedelta):
        return duration_iso_string(value)
    if isinstance(value, decimal.Decimal | uuid.UUID):
        return str(value)
    if isinstance(value, bytes | bytearray | memoryview):
        return base64.b64encode(bytes(value)).decode("ascii")
    if isinstance(value, list | tuple):
        return [encode(item) for item in value]
    if isinstance(value, dict):
        return {key: encode(item) for key, item in value.items()}
    raise TypeError(f"A backup cannot store a value of type {type(value).__name__}.")


def decode(field, value, connection):
    return field.get_db_prep_save(field.to_python(value), connection)


# --- Export -------------------------------------------------------------------------------------


def export_database(writer, *, connection, workdir=None, leave_out=()):
    """Write every table of a consistent view to the archive; returns (migrations, tables, left_out).

    Models named in `leave_out` (app_label.ModelName: live sessions, lockout counters) are not
    written: they hold secrets or short-lived state no restored site should inherit. The SQLite copy
    and the packed tables wait in `workdir` (the archive's folder), not in a /tmp that may be a small
    memory disk.
    """
    with consistent_view(connection, workdir=workdir) as source:
        migrations = recorded_migrations(source)
        loader = MigrationLoader(source, ignore_no_migrations=True)
        tables, left_out = {}, []
        for model in state_models(loader, migrations):
            if model._meta.label in leave_out:
                left_out.append(model._meta.label)
                continue
            rows = export_table(writer, model, source, workdir=workdir)
            tables[model._meta.db_table] = {"model": model._meta.label, "rows": rows}
    return migrations, tables, sorted(left_out)


def export_table(writer, model, source, *, workdir=None):
    fields = model._meta.concrete_fields
    rows = model._base_manager.using(source.alias).order_by("pk").values_list(*(field.attname for field in fields))
    count = unpacked = 0
    with tempfile.TemporaryFile(dir=workdir) as spool:
        with gzip.GzipFile(fileobj=spool, mode="wb", compresslevel=GZIP_LEVEL, mtime=0) as packed:
            line = json.dumps({"columns": [field.column for field in fields]}).encode() + b"\n"
            unpacked += packed.write(line)
            for row in rows.iterator(chunk_size=2000):
                line = json.dumps([encode(value) for value in row], ensure_ascii=False).encode() + b"\n"
                if len(line) > MAX_ROW_BYTES:
                    raise ArchiveError(
                        f"A row of {model._meta.label} (pk {row[0]}) is over {MAX_ROW_BYTES // (1024 * 1024)} MB: "
                        "no archive was written, as it could not be restored."
                    )
                unpacked += packed.write(line)
                count += 1
        writer.add_file(table_member(model._meta.db_table), spool, unpacked=unpacked)
    return count


# --- Import -------------------------------------------------------------------------------------


def import_database(archive, tar, *, connection):
    """Replace every table's rows with the archive's, in one transaction; returns rows per table.

    The target is at the archive's migration state. Foreign keys are checked once all rows are in
    (Django creates them DEFERRABLE INITIALLY DEFERRED on both databases). A table the database has
    already filled by the time its turn comes (PostgreSQL's trigger-maintained search entries,
    written as articles go in) keeps the rows the database built, so it never holds duplicates.
    """
    left_out = set(archive.project.get("left_out", ()))
    models = [
        model
        for model in state_models(MigrationLoader(connection, ignore_no_migrations=True), archive.migrations)
        if model._meta.label not in left_out
    ]
    missing = [model._meta.db_table for model in models if model._meta.db_table not in archive.tables]
    if missing:
        raise ArchiveDamaged(f"The archive has no rows for the table {missing[0]} its migration state requires.")
    counts = {}
    with transaction.atomic(using=connection.alias):
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                # A migration run earlier in the same transaction may have made them IMMEDIATE.
                cursor.execute("SET CONSTRAINTS ALL DEFERRED")
        flush_tables(connection, [model._meta.db_table for model in models])
        for model in models:
            table = model._meta.db_table
            if count_rows(connection, table):
                counts[table] = {"model": model._meta.label, "rows": count_rows(connection, table), "built": True}
                continue
            import_table(archive, tar, model, connection)
            counts[table] = {"model": model._meta.label, "rows": count_rows(connection, table), "built": False}
        try:
            connection.check_constraints(table_names=list(counts))
        except IntegrityError as error:
            raise ArchiveDamaged(
                f"The archive's rows do not fit together, so nothing was restored ({error})."
            ) from error
        with connection.cursor() as cursor:
            for statement in connection.ops.sequence_reset_sql(no_style(), models):
                cursor.execute(statement)
    return counts


def flush_tables(connection, tables):
    """Empty the tables the migrations just filled (groups, settings rows), so archived rows fit."""
    statements = connection.ops.sql_flush(
        no_style(), tables, reset_sequences=True, allow_cascade=connection.vendor == "postgresql"
    )
    with connection.cursor() as cursor:
        for statement in statements:
            cursor.execute(statement)


def count_rows(connection, table):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608 (a quoted table name)
        return cursor.fetchone()[0]


def import_table(archive, tar, model, connection):
    """Load one table's rows; whatever in them the database refuses is the archive's fault, told as such."""
    table = model._meta.db_table
    lines = archive.rows(tar, table)
    try:
        columns = json.loads(next(lines, b"null"))["columns"]
        archived = set(columns)
    except (ValueError, TypeError, KeyError) as error:
        raise ArchiveDamaged(f"The archived columns of {table} cannot be read, so nothing was restored.") from error
    by_column = {field.column: field for field in model._meta.concrete_fields}
    if archived != set(by_column) or len(columns) != len(by_column):
        raise ArchiveDamaged(
            f"The archived columns of {table} do not match its migration state, so nothing was restored."
        )
    fields = [by_column[column] for column in columns]
    quote = connection.ops.quote_name
    statement = "INSERT INTO {} ({}) VALUES ({})".format(  # noqa: S608 (quoted names, values as parameters)
        quote(table),
        ", ".join(quote(column) for column in columns),
        ", ".join(["%s"] * len(columns)),
    )
    rows = decoded_rows(lines, fields, table, connection)
    with connection.cursor() as cursor:
        while batch := list(itertools.islice(rows, ROWS_PER_BATCH)):
            try:
                cursor.executemany(statement, batch)
            except DatabaseError as error:
                raise ArchiveDamaged(
                    f"The rows of {table} cannot be written, so nothing was restored ({error})."
                ) from error


def decoded_rows(lines, fields, table, connection):
    for line in lines:
        try:
            values = json.loads(line)
            row = [decode(field, value, connection) for field, value in zip(fields, values, strict=True)]
        except (ValueError, TypeError, ValidationError) as error:
            raise ArchiveDamaged(f"A row of {table} cannot be read, so nothing was restored ({error}).") from error
        yield row


def rebuild_indexes(connection):
    """Rebuild what indexes the restored rows: SQLite's external-content FTS5 tables, PostgreSQL's statistics."""
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT name, sql FROM sqlite_master WHERE type = 'table' AND sql LIKE '%USING fts5%'")
            for name, sql in cursor.fetchall():
                if "content=" not in sql or "content=''" in sql.replace(" ", ""):
                    continue  # the index holds its own text: nothing to rebuild it from
                quoted = connection.ops.quote_name(name)
                cursor.execute(f"INSERT INTO {quoted}({quoted}) VALUES ('rebuild')")  # noqa: S608 (a quoted table name)
        elif connection.vendor == "postgresql":
            cursor.execute("ANALYZE")
