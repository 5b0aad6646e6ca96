using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace ProductSearch.Vectors;

/// <summary>
/// Values whose first one sits on a 64-byte boundary, so that a scan reading whole vectors from row or column
/// starts that are multiples of a vector never straddles two cache lines (measured by `-- scan`, docs/performance.md).
/// Pinned, on the pinned object heap, so the alignment holds for the array's life.
/// </summary>
internal readonly struct AlignedBuffer<T>
    where T : unmanaged
{
    private const int Alignment = 64;

    private readonly T[] _array;
    private readonly int _offset;

    public AlignedBuffer(long length)
    {
        var size = Unsafe.SizeOf<T>();
        _array = GC.AllocateArray<T>(checked((int)length + (Alignment / size)), pinned: true);
        var address = Unsafe.ByteOffset(ref Unsafe.NullRef<T>(), ref MemoryMarshal.GetArrayDataReference(_array));
        _offset = (int)((Alignment - (address % Alignment)) % Alignment) / size;
        Length = (int)length;
    }

    public int Length { get; }

    /// <summary>The first value's address: fixed, as the array is pinned.</summary>
    public unsafe nint Address => (nint)Unsafe.AsPointer(ref this[0]);

    /// <summary>Asks the CPU to start loading values <c>start .. start + length - 1</c> into the cache (a hint: no effect without SSE).</summary>
    public unsafe void Prefetch(int start, int length)
    {
        if (!Sse.IsSupported || length <= 0)
        {
            return;
        }

        var first = (byte*)Address + ((long)start * sizeof(T));
        var bytes = (long)length * sizeof(T);
        for (long line = 0; line < bytes; line += Alignment)
        {
            Sse.Prefetch0(first + line);
        }
    }

    public Span<T> AsSpan(int start, int length) => _array.AsSpan(_offset + start, length);

    public ref T this[int index] => ref AsSpan(index, 1)[0];

    /// <summary>New storage of <paramref name="length"/> values that starts with the first <paramref name="kept"/> of these.</summary>
    public AlignedBuffer<T> Resize(long length, int kept)
    {
        var resized = new AlignedBuffer<T>(length);
        AsSpan(0, Math.Min(kept, resized.Length)).CopyTo(resized.AsSpan(0, resized.Length));
        return resized;
    }
}
