using System.Runtime.Intrinsics.X86;

namespace ProductSearch.Features;

/// <summary>
/// The x86 instruction set ONNX Runtime's uint8 x int8 kernels use on this machine, so that an operator knows which
/// int8 figures apply. With VNNI every product is added exactly; with AVX2 or AVX-512 alone two products are first
/// added into a saturating int16, which the 7-bit weights of <c>model quantize</c> keep exact and full-range ones do not.
/// </summary>
public static class Int8InstructionSet
{
    /// <summary>"AVX-512 VNNI", "AVX-VNNI", "AVX-512 without VNNI", "AVX2" or "other" (no AVX2, or not x86).</summary>
    public static string Name { get; } = Detect();

    private static string Detect()
    {
        // In ONNX Runtime's (MLAS) order: its AVX-512 kernels replace the AVX-VNNI ones on a CPU that has both.
        if (Avx512BW.IsSupported)
        {
            // .NET has no AVX-512 VNNI class: this is the CPUID bit MLAS tests (leaf 7, ECX bit 11).
            return (X86Base.CpuId(7, 0).Ecx & (1 << 11)) != 0 ? "AVX-512 VNNI" : "AVX-512 without VNNI";
        }

        return AvxVnni.IsSupported ? "AVX-VNNI" : Avx2.IsSupported ? "AVX2" : "other";
    }
}
