using System.Globalization;
using Azure;
using Azure.Data.Tables;

namespace ProductSearch.Storage;

/// <summary>
/// The change log in the vectors table: in each category's partition, after its image rows, rows
/// <c>~log~&lt;utc ticks&gt;~&lt;random&gt;</c>. Every write or delete of an image (<see cref="ProductVectorTable"/>) or a
/// product (<see cref="ProductRows"/>) is committed here with its log row, in one entity-group transaction, so a reader that polls the log (one ordered range query)
/// never misses a change. Caches read it in time order; reconciliation trims rows past their retention.
/// </summary>
internal sealed class ChangeLog(TableClient table, TimeSpan retention, TimeProvider time)
{
    public const string RowKeyPrefix = "~log~";

    // An entity-group transaction holds at most 100 operations.
    private const int MaxTransactionSize = 100;

    /// <summary>Rows older than this may be gone (<see cref="TrimAsync"/>).</summary>
    public TimeSpan Retention { get; } = retention;

    /// <summary>
    /// Commits <paramref name="change"/> and a log row saying what changed in one entity-group transaction. False when
    /// the change's condition failed (the row is gone, exists already, or changed since its ETag was read).
    /// </summary>
    public async Task<bool> CommitAsync(
        TableTransactionAction change, string category, CancellationToken cancellationToken, params (string Name, string Value)[] says)
    {
        try
        {
            await table.SubmitTransactionAsync([change, RowFor(category, says)], cancellationToken);
            return true;
        }
        catch (TableTransactionFailedException e) when (e.Status is 404 or 409 or 412)
        {
            return false;
        }
    }

    private TableTransactionAction RowFor(string category, (string Name, string Value)[] says)
    {
        var row = new TableEntity(TableKeyCodec.Encode(category), Key(time.GetUtcNow().UtcTicks, Guid.NewGuid().ToString("N")[..12]));
        foreach (var (name, value) in says)
        {
            row[name] = value;
        }

        return new TableTransactionAction(TableTransactionActionType.Add, row);
    }

    /// <summary>Rows written at or after <paramref name="fromTicks"/>: one range query, in time order.</summary>
    public async Task<List<ChangeLogEntry>> ReadAsync(string category, long fromTicks, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter(
            $"PartitionKey eq {TableKeyCodec.Encode(category)} and RowKey ge {Key(fromTicks, "")} and RowKey lt {RowKeyPrefix + "~"}");
        var changes = new List<ChangeLogEntry>();
        await MissingTable.OrAsync(async () =>
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["RowKey", "ImageId", "ProductId"], cancellationToken: cancellationToken))
            {
                var ticks = long.Parse(entity.RowKey.AsSpan(RowKeyPrefix.Length, 19), CultureInfo.InvariantCulture);
                changes.Add(new ChangeLogEntry(entity.RowKey, ticks, entity.GetString("ImageId") ?? "", entity.GetString("ProductId")));
            }

            return true;
        }, false);
        return changes;
    }

    /// <summary>
    /// Deletes the category's rows older than <see cref="Retention"/>, 100 per transaction; returns how many went. Without
    /// it the log grows with every write forever. Image rows are never touched (the range starts at the prefix), and a
    /// cache that may still need a trimmed row reloads instead.
    /// </summary>
    public async Task<int> TrimAsync(string category, CancellationToken cancellationToken)
    {
        var partition = TableKeyCodec.Encode(category);
        var cutoff = Key((time.GetUtcNow() - Retention).UtcTicks, "");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {RowKeyPrefix} and RowKey lt {cutoff}");
        var batch = new List<TableTransactionAction>(MaxTransactionSize);
        var trimmed = 0;
        try
        {
            await foreach (var entity in table.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
            {
                batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, entity.RowKey), ETag.All));
                if (batch.Count == MaxTransactionSize)
                {
                    trimmed += await DeleteRowsAsync(batch, cancellationToken);
                    batch.Clear();
                }
            }
        }
        catch (RequestFailedException e) when (MissingTable.IsMissing(e))
        {
            // No table yet (a shop's first photos landed before anything was indexed): no log to trim.
            return 0;
        }

        if (batch.Count > 0)
        {
            trimmed += await DeleteRowsAsync(batch, cancellationToken);
        }

        return trimmed;
    }

    private async Task<int> DeleteRowsAsync(List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
            return batch.Count;
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // Another trim (the CLI beside the timer) took some of them: delete the rest one by one.
            var deleted = 0;
            foreach (var action in batch)
            {
                var response = await table.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All, cancellationToken);
                deleted += response.Status == 404 ? 0 : 1;
            }

            return deleted;
        }
    }

    private static string Key(long ticks, string suffix) =>
        string.Create(CultureInfo.InvariantCulture, $"{RowKeyPrefix}{ticks:D19}~{suffix}");
}
