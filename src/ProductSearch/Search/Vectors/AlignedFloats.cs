using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ProductSearch.Search.Vectors;

/// <summary>
/// Floats whose first value sits on a 64-byte boundary: with rows of a multiple of 16 floats, no vector load of the
/// scan straddles two cache lines (a misaligned matrix scanned 4% to 9% slower, docs/performance.md). Pinned, on the
/// pinned object heap, so the alignment holds for the array's life.
/// </summary>
internal readonly struct AlignedFloats
{
    private const int Alignment = 64;

    private readonly float[] _array;
    private readonly int _offset;

    public AlignedFloats(long length)
    {
        _array = GC.AllocateArray<float>(checked((int)length + (Alignment / sizeof(float))), pinned: true);
        _offset = (int)((Alignment - (AddressOf(_array) % Alignment)) % Alignment) / sizeof(float);
        Length = (int)length;
    }

    public int Length { get; }

    public Span<float> AsSpan(int start, int length) => _array.AsSpan(_offset + start, length);

    /// <summary>New storage of <paramref name="length"/> values that starts with the first <paramref name="kept"/> of these.</summary>
    public AlignedFloats Resize(long length, int kept)
    {
        var resized = new AlignedFloats(length);
        AsSpan(0, Math.Min(kept, resized.Length)).CopyTo(resized.AsSpan(0, resized.Length));
        return resized;
    }

    private static unsafe long AddressOf(float[] array) => (long)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(array));
}
