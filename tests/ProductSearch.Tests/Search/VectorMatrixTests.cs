using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using ProductSearch.Vectors;

namespace ProductSearch.Tests.Search;

public sealed class VectorMatrixTests
{
    [Fact]
    public void RowsStartOnACacheLineAndKeepTheirValuesThroughGrowthAndTrimming()
    {
        var matrix = new VectorMatrix(512, capacity: 1);
        var rows = NaiveNearest.RandomUnitVectors(300, 512, seed: 4);
        Assert.Equal(0, AddressOfFirstRow(matrix) % 64);

        var addresses = new HashSet<long>();
        foreach (var row in rows)
        {
            matrix.Add(row);
            addresses.Add(AddressOfFirstRow(matrix));
            Assert.Equal(0, AddressOfFirstRow(matrix) % 64);
        }

        matrix.EnsureCapacity(1000);
        Assert.Equal(0, AddressOfFirstRow(matrix) % 64);
        matrix.TrimExcess();
        Assert.Equal(0, AddressOfFirstRow(matrix) % 64);

        Assert.True(addresses.Count > 5, "the matrix should have grown several times");
        Assert.Equal(300L * 512 * sizeof(float), matrix.AllocatedBytes);
        for (var i = 0; i < rows.Length; i++)
        {
            Assert.Equal(rows[i], matrix.Row(i).ToArray());
        }
    }

    // The address as an offset from null: no unsafe code needed.
    private static long AddressOfFirstRow(VectorMatrix matrix) =>
        Unsafe.ByteOffset(ref Unsafe.NullRef<float>(), ref MemoryMarshal.GetReference(matrix.Row(0)));
}
