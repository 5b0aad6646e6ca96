namespace ProductSearch.ModelBuilding.Quantization;

/// <summary>The float range an activation tensor is quantised over.</summary>
public readonly record struct ActivationRange(float Min, float Max)
{
    /// <summary>Asymmetric uint8 parameters: ReLU outputs are never negative, so all 256 steps go to the positive side.</summary>
    public (float Scale, byte ZeroPoint) ToUInt8()
    {
        // Zero must be exactly representable: padding and ReLU produce exact zeros everywhere.
        var min = Math.Min(0f, Min);
        var max = Math.Max(0f, Max);
        if (max - min <= 1e-20f)
        {
            return (1f, 0);
        }

        var scale = (max - min) / 255f;
        var zeroPoint = (byte)Math.Clamp(Math.Round(-min / scale), 0, 255);
        return (scale, zeroPoint);
    }
}
