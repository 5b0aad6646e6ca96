using System.Runtime.InteropServices;
using Cloud.Unum.USearch;

namespace ProductSearch.Benchmarks.Scan;

/// <summary>
/// USearch's brute-force search (<c>usearch_exact_search</c> of the C library that Cloud.Unum.USearch 2.26.6
/// ships). The C# binding only wraps the HNSW index, whose search is approximate, so the exact entry point is
/// called directly on the same matrix memory, with the binding's own metric and scalar enums.
/// </summary>
internal static unsafe partial class USearchExact
{
    public static ulong Search(ReadOnlySpan<float> rows, int dimension, ReadOnlySpan<float> query, int top, int threads, ulong[] keys, float[] distances)
    {
        var count = rows.Length / dimension;
        nint error = 0;
        fixed (float* data = rows)
        fixed (float* q = query)
        fixed (ulong* k = keys)
        fixed (float* d = distances)
        {
            NativeMethods.usearch_exact_search(
                data, (nuint)count, (nuint)(dimension * sizeof(float)),
                q, 1, (nuint)(dimension * sizeof(float)),
                (uint)ScalarKind.Float32, (nuint)dimension, (uint)MetricKind.L2sq, (nuint)top, (nuint)threads,
                k, (nuint)(top * sizeof(ulong)), d, (nuint)(top * sizeof(float)), &error);
        }

        return error == 0 ? keys[0] : throw new InvalidOperationException("usearch_exact_search: " + Marshal.PtrToStringUTF8(error));
    }

    private static partial class NativeMethods
    {
        [LibraryImport("libusearch_c")]
        [DefaultDllImportSearchPaths(DllImportSearchPath.SafeDirectories)]
        internal static partial void usearch_exact_search(
            void* dataset, nuint datasetSize, nuint datasetStride,
            void* queries, nuint queriesSize, nuint queriesStride,
            uint scalarKind, nuint dimensions, uint metricKind, nuint count, nuint threads,
            ulong* keys, nuint keysStride, float* distances, nuint distancesStride, nint* error);
    }
}
