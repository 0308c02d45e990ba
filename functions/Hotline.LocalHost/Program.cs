using Hotline.Api;
using Hotline.Runtime;

var builder = WebApplication.CreateBuilder(args);
var development = builder.Environment.IsDevelopment();
if (string.IsNullOrEmpty(builder.Configuration["urls"]))
{
    // Loopback by default; ASPNETCORE_URLS or --urls choose otherwise.
    builder.WebHost.UseUrls(HostSettings.DefaultUrl);
}
if (development)
{
    // Development runs on a clock that PUT /api/dev/clock and POST /api/dev/clock/advance move forward.
    var clock = new AdjustableClock();
    builder.Services.AddSingleton(clock);
    builder.Services.AddSingleton<TimeProvider>(clock);
}
builder.Services.AddConfiguredSmsSender(builder.Configuration);
builder.Services.AddHotlineRuntime(HostSettings.Read(builder.Configuration, builder.Environment.ContentRootPath));
builder.Services.AddHotlineApi(builder.Configuration);
builder.Services.AddHostedService<RuntimeWorker>();
builder.Services.AddOpenApi(o => o.AddDocumentTransformer((doc, _, _) =>
{
    doc.Info.Title = "Hotline 12345 API";
    doc.Info.Description = "Channel systems post matters and evaluations; platform staff read and decide; organizers act through their links. " +
        "Authenticate with the x-functions-key header. Errors are RFC 9457 problem details; lifecycle refusals carry a `code`.";
    return Task.CompletedTask;
}));

var app = builder.Build();
await HotlineStartup.PrepareAsync(app.Services, [HotlineStartup.PublicOrigin(app.Services)], app.Lifetime.ApplicationStopping);
if (args.Contains("rebuild-projections", StringComparer.Ordinal))
{
    // Operators' mode (scripts/rebuild-projections): rebuild the staff index and the report facts from the events, then exit.
    var rebuilt = await app.Services.GetRequiredService<Hotline.Runtime.Reports.ProjectionRebuilder>().RebuildAsync(app.Lifetime.ApplicationStopping);
    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(rebuilt, ApiJson.Options));
    return;
}
app.UseRateLimiter();
app.MapOpenApi("/openapi/v1.json");
app.MapHotline();
if (development)
{
    app.MapDevApi();
}
app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
