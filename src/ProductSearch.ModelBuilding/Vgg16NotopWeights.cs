namespace ProductSearch.ModelBuilding;

/// <summary>The published Keras ImageNet VGG16 weights without the classifier ("notop").</summary>
public static class Vgg16NotopWeights
{
    public static Uri DownloadUri { get; } = new(
        "https://storage.googleapis.com/tensorflow/keras-applications/vgg16/vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5");

    /// <summary>The hash Keras itself checks in <c>get_file(..., file_hash=...)</c>.</summary>
    public const string Md5 = "6d6bbae143d832006294945121d1f1fc";

    public const string OnnxFileName = "vgg16-notop.onnx";
}
