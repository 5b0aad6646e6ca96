using ProductSearch.Features;

namespace ProductSearch.Tests.Features;

public sealed class Int8InstructionSetTests
{
    [Fact]
    public void NameAgreesWithLinuxsCpuFlags()
    {
        // Linux reads CPUID on its own, not through .NET: elsewhere (or on ARM, which lists "Features") there is nothing to compare.
        var flagsLine = File.Exists("/proc/cpuinfo") ? File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("flags", StringComparison.Ordinal)) : null;
        if (flagsLine is null)
        {
            return;
        }

        var flags = flagsLine.Split(' ', ':', '\t').ToHashSet(StringComparer.Ordinal);
        var expected = flags.Contains("avx512bw") ? (flags.Contains("avx512_vnni") ? "AVX-512 VNNI" : "AVX-512 without VNNI")
            : flags.Contains("avx_vnni") ? "AVX-VNNI"
            : flags.Contains("avx2") ? "AVX2"
            : "other";

        Assert.Equal(expected, Int8InstructionSet.Name);
    }
}
