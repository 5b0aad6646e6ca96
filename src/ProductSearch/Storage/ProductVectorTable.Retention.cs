using Azure;
using Azure.Data.Tables;

namespace ProductSearch.Storage;

public sealed partial class ProductVectorTable
{
    // An entity-group transaction holds at most 100 operations.
    private const int MaxTransactionSize = 100;

    /// <summary>
    /// Deletes the category's change-log rows older than <see cref="ChangeLogRetention"/>, 100 per transaction;
    /// returns how many went. Without it the log grows with every write forever. Image rows are never touched
    /// (the range starts at the log prefix), and a cache that may still need a trimmed row reloads instead.
    /// </summary>
    public async Task<int> TrimChangeLogAsync(string category, CancellationToken cancellationToken)
    {
        var partition = TableKeyCodec.Encode(category);
        var cutoff = LogKey((_time.GetUtcNow() - ChangeLogRetention).UtcTicks, "");
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {ChangeLogPrefix} and RowKey lt {cutoff}");
        var batch = new List<TableTransactionAction>(MaxTransactionSize);
        var trimmed = 0;
        try
        {
            await foreach (var entity in Client.QueryAsync<TableEntity>(filter, select: ["RowKey"], cancellationToken: cancellationToken))
            {
                batch.Add(new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, entity.RowKey), ETag.All));
                if (batch.Count == MaxTransactionSize)
                {
                    trimmed += await DeleteLogRowsAsync(batch, cancellationToken);
                    batch.Clear();
                }
            }
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // No table yet (a shop's first photos landed before anything was indexed): no log to trim.
            return 0;
        }

        if (batch.Count > 0)
        {
            trimmed += await DeleteLogRowsAsync(batch, cancellationToken);
        }

        return trimmed;
    }

    private async Task<int> DeleteLogRowsAsync(List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        try
        {
            await Client.SubmitTransactionAsync(batch, cancellationToken);
            return batch.Count;
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // Another trim (the CLI beside the timer) took some of them: delete the rest one by one.
            var deleted = 0;
            foreach (var action in batch)
            {
                var response = await Client.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All, cancellationToken);
                deleted += response.Status == 404 ? 0 : 1;
            }

            return deleted;
        }
    }
}
