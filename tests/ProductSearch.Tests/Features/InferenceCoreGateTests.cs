using ProductSearch.Features;

namespace ProductSearch.Tests.Features;

public class InferenceCoreGateTests
{
    [Fact]
    public async Task LoneRunTakesEveryCore_AndTheNextWaitsForIt()
    {
        using var gate = new InferenceCoreGate(2, adaptive: true);

        var first = await gate.AcquireAsync(alone: true, CancellationToken.None);
        var second = gate.AcquireAsync(alone: true, CancellationToken.None).AsTask();

        Assert.True(gate.IsAll(first));
        Assert.False(second.IsCompleted);
        gate.Release(first);
        Assert.Equal(1, await second);
    }

    [Fact]
    public async Task UnderConcurrencyEachRunTakesOneCore_AndNeverMoreThanTheCores()
    {
        using var gate = new InferenceCoreGate(2, adaptive: true);
        var lone = await gate.AcquireAsync(alone: true, CancellationToken.None);
        var waiting = Enumerable.Range(0, 3).Select(_ => gate.AcquireAsync(alone: true, CancellationToken.None).AsTask()).ToList();

        gate.Release(lone);
        var firstTwo = new List<Task<int>>();
        while (firstTwo.Count < 2)
        {
            firstTwo.Add(await Task.WhenAny(waiting.Except(firstTwo)).WaitAsync(TimeSpan.FromSeconds(10)));
        }

        // Two of the three run on one core each; the third waits for one of them: the two granted hold every slot, so
        // it stays queued until one is given back.
        var granted = await Task.WhenAll(firstTwo);
        Assert.Equal(new[] { 1, 1 }, granted);
        var third = waiting.Single(t => !firstTwo.Contains(t));
        Assert.False(third.IsCompleted);
        gate.Release(granted[0]);
        Assert.Equal(1, await third.WaitAsync(TimeSpan.FromSeconds(10)));
    }

    [Fact]
    public async Task ARunThatIsNotAlone_TakesOneCoreEvenWhenAllAreIdle()
    {
        using var gate = new InferenceCoreGate(2, adaptive: true);

        var first = await gate.AcquireAsync(alone: false, CancellationToken.None);
        var second = await gate.AcquireAsync(alone: false, CancellationToken.None);

        Assert.Equal([1, 1], [first, second]);
        Assert.False(gate.IsAll(first));
    }

    [Fact]
    public async Task WhenTheCoresAreFreeAgain_ALoneRunTakesThemAll()
    {
        using var gate = new InferenceCoreGate(2, adaptive: true);
        var a = await gate.AcquireAsync(alone: true, CancellationToken.None);
        var b = gate.AcquireAsync(alone: true, CancellationToken.None).AsTask();
        gate.Release(a);
        gate.Release(await b);

        Assert.True(gate.IsAll(await gate.AcquireAsync(alone: true, CancellationToken.None)));
    }

    [Fact]
    public async Task FixedThreadsGiveOneSlotPerRun()
    {
        using var gate = new InferenceCoreGate(2, adaptive: false);

        var first = await gate.AcquireAsync(alone: true, CancellationToken.None);
        var second = await gate.AcquireAsync(alone: true, CancellationToken.None);
        var third = gate.AcquireAsync(alone: true, CancellationToken.None).AsTask();

        Assert.Equal((1, 1), (first, second));
        Assert.False(third.IsCompleted);
        gate.Release(first);
        Assert.Equal(1, await third);
    }

    [Fact]
    public async Task CancelledWaitLeavesNoSlotTaken()
    {
        using var gate = new InferenceCoreGate(2, adaptive: true);
        var all = await gate.AcquireAsync(alone: true, CancellationToken.None);
        using var cancel = new CancellationTokenSource();
        var waiting = gate.AcquireAsync(alone: true, cancel.Token).AsTask();

        await cancel.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => waiting);
        gate.Release(all);

        Assert.True(gate.IsAll(await gate.AcquireAsync(alone: true, CancellationToken.None)));
    }
}
