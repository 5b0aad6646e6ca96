using Onnx;

namespace ProductSearch.Features;

/// <summary>
/// The declared inputs and outputs of an ONNX graph, read without its weights: the protobuf fields are walked and all
/// but those two are seeked over, so deciding whether a 60 MB model needs patching costs a few small reads, not a
/// parse of the whole file or a session.
/// </summary>
internal sealed record OnnxGraphHeader(IReadOnlyList<ValueInfoProto> Inputs, IReadOnlyList<ValueInfoProto> Outputs)
{
    private const int VarintWire = 0;
    private const int Fixed64Wire = 1;
    private const int LengthDelimitedWire = 2;
    private const int Fixed32Wire = 5;

    public static OnnxGraphHeader Read(string onnxPath)
    {
        using var file = new FileStream(onnxPath, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 4096);
        var inputs = new List<ValueInfoProto>();
        var outputs = new List<ValueInfoProto>();
        var graphFound = false;
        ReadFields(file, file.Length, (field, length) =>
        {
            if (field != ModelProto.GraphFieldNumber)
            {
                return false;
            }

            graphFound = true;
            ReadFields(file, file.Position + length, (graphField, valueLength) =>
            {
                var list = graphField == GraphProto.InputFieldNumber ? inputs : graphField == GraphProto.OutputFieldNumber ? outputs : null;
                if (list is null)
                {
                    return false;
                }

                var value = new byte[valueLength];
                file.ReadExactly(value);
                list.Add(ValueInfoProto.Parser.ParseFrom(value));
                return true;
            });
            return true;
        });

        return graphFound ? new OnnxGraphHeader(inputs, outputs) : throw new InvalidDataException($"{onnxPath} holds no ONNX graph.");
    }

    // Calls `read` for each length-delimited field up to `end`, which either consumes the value and returns true or
    // returns false to have it skipped; every other field is skipped.
    private static void ReadFields(Stream stream, long end, Func<int, long, bool> read)
    {
        while (stream.Position < end)
        {
            var tag = ReadVarint(stream);
            var (field, wire) = ((int)(tag >> 3), (int)(tag & 7));
            var skip = wire switch
            {
                VarintWire => SkipVarint(stream),
                Fixed64Wire => 8,
                Fixed32Wire => 4,
                LengthDelimitedWire => (long)ReadVarint(stream),
                _ => throw new InvalidDataException($"Unexpected protobuf wire type {wire} in an ONNX file."),
            };
            var start = stream.Position;
            if (skip < 0 || skip > end - start)
            {
                throw new InvalidDataException("A protobuf field in an ONNX file runs past the end of what holds it: the file is damaged.");
            }

            if (wire != LengthDelimitedWire || !read(field, skip))
            {
                stream.Seek(start + skip, SeekOrigin.Begin);
            }
        }
    }

    private static long SkipVarint(Stream stream)
    {
        ReadVarint(stream);
        return 0;
    }

    private static ulong ReadVarint(Stream stream)
    {
        ulong value = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = stream.ReadByte();
            if (b < 0)
            {
                throw new InvalidDataException("An ONNX file ends inside a protobuf field.");
            }

            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return value;
            }
        }

        throw new InvalidDataException("A protobuf varint in an ONNX file is longer than 64 bits.");
    }
}
