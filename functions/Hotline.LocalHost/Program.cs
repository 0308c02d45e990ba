using Hotline.Api;
using Hotline.Api.Security;
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
    // Hotline:Dev:ClockStart replays a scenario dated before today from an empty store; the clock only moves forward from there.
    if (builder.Configuration["Hotline:Dev:ClockStart"] is { Length: > 0 } start)
    {
        clock.Set(DateTimeOffset.Parse(start, System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.None));
    }
    builder.Services.AddSingleton(clock);
    builder.Services.AddSingleton<TimeProvider>(clock);
}
builder.AddHotline(builder.Environment.ContentRootPath);
// The local host's own: the background alarm pump and effect workers, and the OpenAPI document.
builder.Services.AddHostedService<RuntimeWorker>();
builder.Services.AddHotlineOpenApi();

var app = builder.Build();
await HotlineStartup.PrepareAsync(app.Services, [HotlineStartup.PublicOrigin(app.Services)], app.Lifetime.ApplicationStopping);
if (args.Contains("rebuild-projections", StringComparer.Ordinal))
{
    // Operators' mode (scripts/rebuild-projections): rebuild the staff index and the report facts from the events, then exit.
    var rebuilt = await app.Services.GetRequiredService<Hotline.Runtime.Reports.ProjectionRebuilder>().RebuildAsync(app.Lifetime.ApplicationStopping);
    Console.WriteLine(System.Text.Json.JsonSerializer.Serialize(rebuilt, ApiJson.Options));
    return;
}
app.UseHotline(endpoints =>
{
    endpoints.MapOpenApi("/openapi/v1.json");
    if (development)
    {
        endpoints.MapDevApi();
    }
});
app.Run();

/// <summary>The entry point, visible to the tests' WebApplicationFactory.</summary>
public partial class Program;
