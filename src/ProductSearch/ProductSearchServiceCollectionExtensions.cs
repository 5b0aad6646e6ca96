using Azure.Storage.Blobs;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using ProductSearch.Decoding;
using ProductSearch.Features;
using ProductSearch.Imaging;
using ProductSearch.Indexing;
using ProductSearch.Maintenance;
using ProductSearch.Search;
using ProductSearch.Storage;

namespace ProductSearch;

public static class ProductSearchServiceCollectionExtensions
{
    /// <summary>
    /// Everything the function app and the CLI share: options validated at start (a bad setting fails the
    /// host with its name), and the expensive objects (ONNX session, storage clients, cache) as singletons.
    /// </summary>
    public static IServiceCollection AddProductSearch(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<ImageLimits>().BindConfiguration(ImageLimits.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ModelOptions>().BindConfiguration(ModelOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<ModelOptions>, ModelOptionsValidation>();
        services.AddOptions<SearchOptions>().BindConfiguration(SearchOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<AnswerCacheOptions>().BindConfiguration(AnswerCacheOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<StorageOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<IndexingFailureTableOptions>().BindConfiguration(StorageOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ThumbnailOptions>().BindConfiguration(ThumbnailOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddOptions<ReconcileOptions>().BindConfiguration(ReconcileOptions.Section).ValidateDataAnnotations().ValidateOnStart();

        services.AddSingleton(TimeProvider.System);
        services.AddSingleton(sp => ModelDescriptor.Load(ModelOptionsValidation.ResolvePath(sp.GetRequiredService<IOptions<ModelOptions>>().Value.Descriptor)));
        services.AddOptions<DecoderOptions>().BindConfiguration(DecoderOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton(sp => ActivatorUtilities.CreateInstance<IsolatedPhotoDecoder>(sp, sp.GetRequiredService<ModelDescriptor>().Input));
        services.AddSingleton<IPhotoDecoder>(sp => sp.GetRequiredService<IsolatedPhotoDecoder>());
        services.AddOptions<AdmissionOptions>().BindConfiguration(AdmissionOptions.Section).ValidateDataAnnotations().ValidateOnStart();
        services.AddSingleton<IValidateOptions<AdmissionOptions>, AdmissionOptionsValidation>();
        services.AddSingleton<DecodeAdmission>();
        services.AddSingleton<FeatureExtractor>();
        // Session creation starts with the host, in parallel with whatever the first request loads.
        services.AddSingleton<FeatureExtractorStartup>();
        services.AddSingleton(sp => new DecodeOnlyDescriber(sp.GetRequiredService<ModelDescriptor>(), new Lazy<IPhotoDecoder>(sp.GetRequiredService<IPhotoDecoder>)));
        services.AddHostedService(sp => sp.GetRequiredService<FeatureExtractorStartup>());

        services.AddSingleton(sp => StorageClientFactory.CreateBlobServiceClient(
            configuration, sp.GetRequiredService<IOptions<StorageOptions>>().Value.Connection));
        services.AddSingleton(sp => StorageClientFactory.CreateTableServiceClient(
            configuration, sp.GetRequiredService<IOptions<StorageOptions>>().Value.Connection));
        services.AddSingleton(sp => sp.GetRequiredService<BlobServiceClient>()
            .GetBlobContainerClient(sp.GetRequiredService<IOptions<StorageOptions>>().Value.ImagesContainer));
        services.AddSingleton<ProductVectorTable>();
        services.AddSingleton<IndexingFailureTable>();
        services.AddSingleton<ThumbnailStore>();

        services.AddSingleton<ProductImageIndexer>();
        services.AddSingleton<ProductAttributeWriter>();
        services.AddSingleton<CatalogReconciler>();
        services.AddSingleton<ProductImageDeleter>();
        services.AddSingleton<CategoryVectorCache>();
        services.AddSingleton<AnswerETags>();
        services.AddSingleton<SimilarProductSearch>();
        services.AddSingleton<CatalogListing>();
        return services;
    }
}
