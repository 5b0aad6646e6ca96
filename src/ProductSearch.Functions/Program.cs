using Microsoft.Azure.Functions.Worker.Builder;
using Microsoft.Extensions.Hosting;
using ProductSearch;
using ProductSearch.Functions.Telemetry;

var builder = FunctionsApplication.CreateBuilder(args);
builder.ConfigureFunctionsWebApplication();
builder.Services.AddProductSearch(builder.Configuration);
builder.Services.AddProductSearchTelemetry(builder.Configuration);
builder.Build().Run();
