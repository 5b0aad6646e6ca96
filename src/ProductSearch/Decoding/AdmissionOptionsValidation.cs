using Microsoft.Extensions.Options;
using ProductSearch.Imaging;

namespace ProductSearch.Decoding;

/// <summary>Fails the host at start when the decode memory budget cannot hold one photo of the largest size, naming the settings.</summary>
internal sealed class AdmissionOptionsValidation(IOptions<ImageLimits> limits, IOptions<DecoderOptions> decoders) : IValidateOptions<AdmissionOptions>
{
    public ValidateOptionsResult Validate(string? name, AdmissionOptions options) =>
        DecodeAdmission.Size(options, limits.Value, decoders.Value).Problem is { } problem ? ValidateOptionsResult.Fail(problem) : ValidateOptionsResult.Success;
}
