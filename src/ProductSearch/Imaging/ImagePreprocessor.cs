using System.Buffers;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.PixelFormats;
using SixLabors.ImageSharp.Processing;

namespace ProductSearch.Imaging;

/// <summary>
/// Turns a decoded image into the model's input tensor exactly as the descriptor says:
/// resize (squash or centre-crop, bilinear), transparency composited onto white, channel order,
/// scale, mean and std.
/// </summary>
public sealed class ImagePreprocessor
{
    private readonly ModelInput _input;
    private readonly float[] _multiply = new float[3];
    private readonly float[] _add = new float[3];
    private readonly int[] _sourceChannel = new int[3];

    public ImagePreprocessor(ModelInput input)
    {
        _input = input;
        for (var c = 0; c < 3; c++)
        {
            // v = (pixel * scale - mean) / std, folded into one multiply-add per value.
            _multiply[c] = input.Scale / input.Std[c];
            _add[c] = -input.Mean[c] / input.Std[c];
            _sourceChannel[c] = input.ChannelOrder == ChannelOrder.Bgr ? 2 - c : c;
        }
    }

    public int TensorLength => 3 * _input.Width * _input.Height;

    /// <summary>Resizes <paramref name="image"/> in place and writes its tensor into <paramref name="tensor"/>.</summary>
    public void Preprocess(Image<Rgba32> image, Span<float> tensor)
    {
        Fit(image);
        WriteTensor(image, tensor);
    }

    /// <summary>Writes the tensor of an image already fitted to the input size (<see cref="Fit"/>).</summary>
    public void WriteTensor(Image<Rgba32> image, Span<float> tensor)
    {
        if (tensor.Length != TensorLength)
        {
            throw new ArgumentException($"The tensor needs {TensorLength} values, got {tensor.Length}.", nameof(tensor));
        }

        if (image.Width != _input.Width || image.Height != _input.Height)
        {
            throw new ArgumentException($"The image is {image.Width}x{image.Height}; fit it to {_input.Width}x{_input.Height} first.", nameof(image));
        }

        var plane = _input.Width * _input.Height;
        var nchw = _input.Layout == TensorLayout.Nchw;
        var (m0, m1, m2) = (_multiply[0], _multiply[1], _multiply[2]);
        var (a0, a1, a2) = (_add[0], _add[1], _add[2]);
        var (s0, s1, s2) = (_sourceChannel[0], _sourceChannel[1], _sourceChannel[2]);
        Span<float> rgb = stackalloc float[3];

        // A 224x224 image sits in one buffer; copy only if the allocator split it.
        Rgba32[]? copy = null;
        var pixels = image.DangerousTryGetSinglePixelMemory(out var memory)
            ? memory.Span
            : CopyPixels(image, out copy);
        try
        {
            for (var pixel = 0; pixel < plane; pixel++)
            {
                var p = pixels[pixel];
                // Shops upload cut-outs on transparent backgrounds; the studio shots they sit beside are on white.
                var alpha = p.A / 255f;
                var white = 255f * (1f - alpha);
                rgb[0] = (p.R * alpha) + white;
                rgb[1] = (p.G * alpha) + white;
                rgb[2] = (p.B * alpha) + white;

                if (nchw)
                {
                    tensor[pixel] = (rgb[s0] * m0) + a0;
                    tensor[plane + pixel] = (rgb[s1] * m1) + a1;
                    tensor[(2 * plane) + pixel] = (rgb[s2] * m2) + a2;
                }
                else
                {
                    var o = pixel * 3;
                    tensor[o] = (rgb[s0] * m0) + a0;
                    tensor[o + 1] = (rgb[s1] * m1) + a1;
                    tensor[o + 2] = (rgb[s2] * m2) + a2;
                }
            }
        }
        finally
        {
            if (copy is not null)
            {
                ArrayPool<Rgba32>.Shared.Return(copy);
            }
        }
    }

    /// <summary>Trims and resizes <paramref name="image"/> in place to the model's input: the pixels the model sees.</summary>
    public void Fit(Image<Rgba32> image)
    {
        BackgroundTrimmer.Trim(image, _input.TrimBackground, _input.TrimTolerance, (float)_input.Width / _input.Height);
        Resize(image);
    }

    private static Span<Rgba32> CopyPixels(Image<Rgba32> image, out Rgba32[] copy)
    {
        var length = image.Width * image.Height;
        copy = ArrayPool<Rgba32>.Shared.Rent(length);
        var span = copy.AsSpan(0, length);
        image.CopyPixelDataTo(span);
        return span;
    }

    private void Resize(Image<Rgba32> image)
    {
        var size = new Size(_input.Width, _input.Height);
        if (image.Size() == size)
        {
            return;
        }

        if (_input.Sampler == ResizeSampler.Linear)
        {
            LinearResize.Apply(image, size, _input.Resize == InputResize.CenterCrop);
            return;
        }

        var options = new ResizeOptions
        {
            Size = size,
            Mode = _input.Resize == InputResize.CenterCrop ? ResizeMode.Crop : ResizeMode.Stretch,
            Position = AnchorPositionMode.Center,
            Sampler = KnownResamplers.Triangle,
        };
        image.Mutate(x => x.Resize(options));
    }
}
