using ProductSearch.Tooling.Evaluation;

namespace ProductSearch.Tests.Evaluation;

public sealed class RetrievalMetricsTests
{
    // Relevant items at ranks 2 and 4 (1-based): precision there is 1/2 and 2/4.
    private static readonly bool[] HitsAtRanks2And4 = [false, true, false, true, false];

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 1.0)]
    [InlineData(4, 1.0)]
    public void RecallAtKIsOneOnceAnyRelevantItemIsInTheTopK(int k, double expected)
    {
        Assert.Equal(expected, RetrievalMetrics.RecallAt(HitsAtRanks2And4, k));
    }

    [Fact]
    public void RecallAtKBeyondTheListLooksAtTheWholeList()
    {
        Assert.Equal(1.0, RetrievalMetrics.RecallAt([false, true], 10));
    }

    [Theory]
    [InlineData(1, 0.0)]
    [InlineData(2, 0.5)]
    [InlineData(4, 0.5)]
    public void PrecisionAtKCountsRelevantItemsInTheTopKOverK(int k, double expected)
    {
        Assert.Equal(expected, RetrievalMetrics.PrecisionAt(HitsAtRanks2And4, k));
    }

    [Fact]
    public void PrecisionAtKDividesByKEvenWhenTheListIsShorter()
    {
        Assert.Equal(0.25, RetrievalMetrics.PrecisionAt([true], 4));
    }

    [Fact]
    public void AveragePrecisionIsTheMeanPrecisionAtEachRelevantRank()
    {
        Assert.Equal(((1.0 / 2) + (2.0 / 4)) / 2, RetrievalMetrics.AveragePrecision(HitsAtRanks2And4), 12);
    }

    [Fact]
    public void AveragePrecisionOfAPerfectRankingIsOne()
    {
        Assert.Equal(1.0, RetrievalMetrics.AveragePrecision([true, true, false, false]));
    }

    [Fact]
    public void AveragePrecisionWithOneRelevantItemIsTheReciprocalOfItsRank()
    {
        Assert.Equal(1.0 / 3, RetrievalMetrics.AveragePrecision([false, false, true]), 12);
    }

    [Fact]
    public void AveragePrecisionWithoutRelevantItemsIsZero()
    {
        Assert.Equal(0.0, RetrievalMetrics.AveragePrecision([false, false]));
    }
}
