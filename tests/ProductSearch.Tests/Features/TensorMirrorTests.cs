using ProductSearch.Features;
using ProductSearch.Imaging;

namespace ProductSearch.Tests.Features;

public sealed class TensorMirrorTests
{
    [Fact]
    public void NchwMirrorReversesEveryRowOfEveryChannel()
    {
        // 3 channels of 2 rows x 3 columns.
        float[] tensor = [.. Enumerable.Range(0, 18).Select(i => (float)i)];
        var mirrored = new float[18];

        TensorMirror.FlipHorizontally(tensor, mirrored, TensorLayout.Nchw, width: 3, height: 2);

        Assert.Equal([2, 1, 0, 5, 4, 3, 8, 7, 6, 11, 10, 9, 14, 13, 12, 17, 16, 15], mirrored);
    }

    [Fact]
    public void NhwcMirrorMovesWholePixelsAndKeepsTheirChannels()
    {
        // One row of two RGB pixels.
        float[] tensor = [1, 2, 3, 4, 5, 6];
        var mirrored = new float[6];

        TensorMirror.FlipHorizontally(tensor, mirrored, TensorLayout.Nhwc, width: 2, height: 1);

        Assert.Equal([4, 5, 6, 1, 2, 3], mirrored);
    }
}
