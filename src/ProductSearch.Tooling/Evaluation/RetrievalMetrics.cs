namespace ProductSearch.Tooling.Evaluation;

/// <summary>
/// Ranking metrics over one query's ranked list of relevance flags (nearest first, the query itself left out).
/// Recall@k is the usual image-retrieval hit rate: 1 when at least one relevant item is in the top k.
/// </summary>
public static class RetrievalMetrics
{
    public static double RecallAt(IReadOnlyList<bool> ranked, int k)
    {
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            if (ranked[i])
            {
                return 1;
            }
        }

        return 0;
    }

    public static double PrecisionAt(IReadOnlyList<bool> ranked, int k)
    {
        var hits = 0;
        for (var i = 0; i < Math.Min(k, ranked.Count); i++)
        {
            hits += ranked[i] ? 1 : 0;
        }

        return (double)hits / k;
    }

    /// <summary>Mean of precision at each relevant item's rank, over all relevant items (0 when there are none).</summary>
    public static double AveragePrecision(IReadOnlyList<bool> ranked)
    {
        double hits = 0, sum = 0;
        for (var i = 0; i < ranked.Count; i++)
        {
            if (ranked[i])
            {
                hits++;
                sum += hits / (i + 1);
            }
        }

        return hits == 0 ? 0 : sum / hits;
    }
}
