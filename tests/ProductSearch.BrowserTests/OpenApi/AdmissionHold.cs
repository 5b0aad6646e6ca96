using ProductSearch.Decoding;

namespace ProductSearch.BrowserTests.OpenApi;

/// <summary>Every admission to the decoders, held by the test until disposed: the state in which a photo search is shed.</summary>
internal sealed class AdmissionHold : IDisposable
{
    private readonly List<IDisposable> _held;

    private AdmissionHold(List<IDisposable> held) => _held = held;

    public static async Task<AdmissionHold> TakeAllAsync(DecodeAdmission admission)
    {
        var held = new List<IDisposable>();
        try
        {
            // A 1-byte body costs the least (an unknown length counts as the largest), so once one is refused no photo fits.
            while (true)
            {
                held.Add(await admission.EnterAsync(1, CancellationToken.None));
            }
        }
        catch (DecodersBusyException)
        {
            return new AdmissionHold(held);
        }
    }

    public void Dispose() => _held.ForEach(h => h.Dispose());
}
