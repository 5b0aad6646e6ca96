using System.Globalization;

namespace ProductSearch.Benchmarks.Query;

/// <summary>
/// How many product-page views reach the origin behind an edge cache that follows the answers' own headers
/// (max-age 60 s, the default, or an hour): a month of views, arriving at random and spread over
/// 10,000 product pages by a Zipf law (a few popular products, a long tail), each asking its "more like this" by id.
/// A miss costs the origin a full search; a stale copy costs a 304 (in the background within stale-while-revalidate,
/// which changes only the shopper's wait, not the origin's count); a fresh hit costs nothing.
/// A model of one edge location with the catalogue unchanged, printed against no cache (every view a search).
/// </summary>
internal static class EdgeCacheSimulation
{
    private const int Products = 10_000;
    private const double MonthSeconds = 30 * 24 * 3600;

    public static void Run(bool quick)
    {
        var cumulative = ZipfCumulative(Products, exponent: 1.0);
        Console.WriteLine();
        Console.WriteLine($"## An edge cache in front of by-id answers: {Products:N0} product pages, Zipf(1.0) views");
        Console.WriteLine("| views a month | max-age | fresh hits | origin searches (200) per million views | origin revalidations (304) per million views |");
        Console.WriteLine("|---|---|---|---|---|");
        foreach (var views in quick ? new[] { 100_000L, 1_000_000L } : new[] { 100_000L, 1_000_000L, 10_000_000L, 100_000_000L })
        {
            foreach (var maxAge in new[] { 60.0, 3600.0 })
            {
                var (fresh, searches, revalidations) = Simulate(views, maxAge, cumulative, new Random(11));
                Console.WriteLine(string.Create(
                    CultureInfo.InvariantCulture,
                    $"| {views:N0} | {maxAge} s | {100.0 * fresh / views:0.0}% | {1e6 * searches / views:N0} | {1e6 * revalidations / views:N0} |"));
            }
        }
    }

    private static (long Fresh, long Searches, long Revalidations) Simulate(long views, double maxAgeSeconds, double[] cumulative, Random random)
    {
        var fetchedAt = new double[cumulative.Length];
        Array.Fill(fetchedAt, double.NegativeInfinity);
        var rate = views / MonthSeconds;
        var now = 0.0;
        long fresh = 0, searches = 0, revalidations = 0;
        for (long i = 0; i < views; i++)
        {
            now += -Math.Log(1 - random.NextDouble()) / rate; // Poisson arrivals.
            var page = Array.BinarySearch(cumulative, random.NextDouble());
            page = page < 0 ? ~page : page;
            var age = now - fetchedAt[page];
            if (age < maxAgeSeconds)
            {
                fresh++;
                continue;
            }

            if (double.IsInfinity(age))
            {
                searches++; // Never cached here: the origin answers in full.
            }
            else
            {
                revalidations++; // Stale (served at once, refreshed behind) or expired: either way a 304, nothing changed.
            }

            fetchedAt[page] = now;
        }

        return (fresh, searches, revalidations);
    }

    private static double[] ZipfCumulative(int count, double exponent)
    {
        var weights = Enumerable.Range(1, count).Select(rank => 1 / Math.Pow(rank, exponent)).ToArray();
        var total = weights.Sum();
        var cumulative = new double[count];
        var sum = 0.0;
        for (var i = 0; i < count; i++)
        {
            sum += weights[i] / total;
            cumulative[i] = sum;
        }

        cumulative[^1] = 1;
        return cumulative;
    }
}
