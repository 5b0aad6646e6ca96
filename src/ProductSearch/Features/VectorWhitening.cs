using System.Buffers.Binary;
using System.Numerics.Tensors;

namespace ProductSearch.Features;

/// <summary>
/// PCA-whitening of feature vectors (Jégou &amp; Chum, ECCV 2012): subtract the catalogue's mean, rotate onto the
/// principal axes and divide each by a power of its spread, optionally keeping only the first axes. Bursty,
/// correlated channels (backgrounds, models' skin) then stop dominating the distance. Fitted without labels by
/// <c>WhiteningFit</c> (the <c>fit-whitening</c> command); stored as a small binary file next to the descriptor.
/// </summary>
public sealed class VectorWhitening
{
    private static readonly byte[] Magic = "PSWHITE1"u8.ToArray();

    private readonly float[] _mean;
    private readonly float[] _projection; // OutputDimension rows of InputDimension

    public VectorWhitening(float[] mean, float[] projection, int outputDimension)
    {
        if (outputDimension <= 0 || projection.Length != mean.Length * outputDimension)
        {
            throw new ArgumentException($"A {outputDimension} x {mean.Length} projection needs {mean.Length * outputDimension} values, not {projection.Length}.", nameof(projection));
        }

        _mean = mean;
        _projection = projection;
        OutputDimension = outputDimension;
    }

    public int InputDimension => _mean.Length;

    public int OutputDimension { get; }

    /// <summary>Whitens <paramref name="input"/> into <paramref name="output"/>; the caller L2-normalises.</summary>
    public void Apply(ReadOnlySpan<float> input, Span<float> output)
    {
        if (input.Length != InputDimension || output.Length != OutputDimension)
        {
            throw new ArgumentException($"Whitening maps {InputDimension}-d to {OutputDimension}-d vectors, not {input.Length} to {output.Length}.");
        }

        Span<float> centred = InputDimension <= 4096 ? stackalloc float[InputDimension] : new float[InputDimension];
        TensorPrimitives.Subtract(input, _mean, centred);
        for (var o = 0; o < OutputDimension; o++)
        {
            output[o] = TensorPrimitives.Dot(_projection.AsSpan(o * InputDimension, InputDimension), centred);
        }
    }

    public static VectorWhitening Load(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length + 8 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
        {
            throw new InvalidDataException($"{path} is not a whitening file (made by `product-search model fit-whitening`).");
        }

        var input = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length));
        var output = BinaryPrimitives.ReadInt32LittleEndian(bytes.AsSpan(Magic.Length + 4));
        var expected = Magic.Length + 8 + ((long)input * (output + 1) * sizeof(float));
        if (input <= 0 || output <= 0 || output > input || bytes.Length != expected)
        {
            throw new InvalidDataException($"Whitening file {path} is damaged: {bytes.Length} bytes for {input} -> {output} dimensions.");
        }

        var floats = new float[input * (output + 1)];
        for (var i = 0; i < floats.Length; i++)
        {
            floats[i] = BinaryPrimitives.ReadSingleLittleEndian(bytes.AsSpan(Magic.Length + 8 + (i * sizeof(float))));
        }

        return new VectorWhitening(floats[..input], floats[input..], output);
    }

    public void Save(string path)
    {
        var bytes = new byte[Magic.Length + 8 + ((_mean.Length + _projection.Length) * sizeof(float))];
        Magic.CopyTo(bytes, 0);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(Magic.Length), InputDimension);
        BinaryPrimitives.WriteInt32LittleEndian(bytes.AsSpan(Magic.Length + 4), OutputDimension);
        var offset = Magic.Length + 8;
        foreach (var value in _mean.Concat(_projection))
        {
            BinaryPrimitives.WriteSingleLittleEndian(bytes.AsSpan(offset), value);
            offset += sizeof(float);
        }

        File.WriteAllBytes(path, bytes);
    }
}
