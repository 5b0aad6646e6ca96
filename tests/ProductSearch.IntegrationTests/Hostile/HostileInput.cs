using ProductSearch.Imaging;

namespace ProductSearch.IntegrationTests.Hostile;

/// <summary>One odd or hostile upload and what must happen to it: rejected for <see cref="Rejection"/>, or indexed.</summary>
public sealed record HostileInput(string Name, byte[] Bytes, ImageRejectionReason? Rejection, int HttpStatus)
{
    public bool IsIndexed => Rejection is null;

    public override string ToString() => $"{Name} ({Bytes.Length} bytes)";
}
