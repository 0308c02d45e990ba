using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Hotline.Runtime.Orchestration;
using Hotline.Runtime.Store;
using Hotline.Testing;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.AspNetCore.Routing.Patterns;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.FunctionApp.Tests;

/// <summary>
/// The Function App's one HTTP function serves every endpoint of <see cref="Hotline.Api.HotlineRoutes.MapHotline"/>
/// through the same pipeline as the local host: the same endpoint is chosen and the same status answered, and the
/// pipeline's rate limiter and unexpected-failure problem work there too.
/// </summary>
[Collection("Azurite")]
public sealed class HttpEntryTests(AzuriteFixture azurite)
{
    private static string Prefix() => "h" + Guid.NewGuid().ToString("N")[..10];

    /// <summary>A value for each route parameter that names something that does not exist (or a harmless one).</summary>
    private static string Sample(RoutePatternParameterPart parameter) => parameter.Name switch
    {
        "year" => "2026",
        "queue" => "dispatch",
        "file" => "missing.js",
        "format" => "json",
        _ => "nothing-here",
    };

    private static string PathOf(RoutePattern pattern) =>
        "/" + string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            RoutePatternLiteralPart literal => literal.Content,
            RoutePatternSeparatorPart separator => separator.Content,
            RoutePatternParameterPart parameter => Sample(parameter),
            _ => throw new InvalidOperationException($"Unexpected route part in {pattern.RawText}"),
        }))));

    private static async Task<(HttpStatusCode Status, string? Type)> SendAsync(HttpClient client, string method, string path, string? tag = null)
    {
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (method is "POST" or "PUT") request.Content = new ByteArrayContent([]);
        if (tag is not null) FunctionAppServer.Tag(request, tag);
        using var response = await client.SendAsync(request);
        return (response.StatusCode, response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task Every_endpoint_of_MapHotline_is_reached_through_the_http_entry_and_answers_as_on_the_local_host()
    {
        await using var functionApp = await FunctionAppServer.StartAsync(FunctionAppServer.Settings(azurite.ConnectionString, Prefix()));
        await using var local = new LocalHostApp(FunctionAppServer.Settings(azurite.ConnectionString, Prefix()));
        using var azureClient = functionApp.CreateClient(FunctionAppServer.StaffKey);
        using var localClient = local.CreateClient();
        localClient.DefaultRequestHeaders.Add("x-functions-key", FunctionAppServer.StaffKey);

        var endpoints = DeclaredRoutes.Of(functionApp.Services);
        Assert.True(endpoints.Count > 40, $"Only {endpoints.Count} endpoints were declared.");
        var differences = new List<string>();
        foreach (var (endpoint, index) in endpoints.Select((e, i) => (e, i)))
        {
            foreach (var method in endpoint.Metadata.GetMetadata<IHttpMethodMetadata>()?.HttpMethods ?? ["GET"])
            {
                var path = PathOf(endpoint.RoutePattern);
                var tag = $"{index}-{method}";
                var azure = await SendAsync(azureClient, method, path, tag);
                var expected = await SendAsync(localClient, method, path);
                var matched = functionApp.MatchedEndpoint(tag) as RouteEndpoint;
                if (matched?.RoutePattern.RawText != endpoint.RoutePattern.RawText)
                    differences.Add($"{method} {path}: routed to {matched?.RoutePattern.RawText ?? "nothing"}, declared {endpoint.RoutePattern.RawText}");
                if (azure != expected)
                    differences.Add($"{method} {path}: Function App {(int)azure.Status} {azure.Type}, local host {(int)expected.Status} {expected.Type}");
            }
        }
        Assert.Empty(differences);
    }

    [Fact]
    public async Task An_unknown_path_answers_the_same_404_problem_in_both_hosts()
    {
        await using var functionApp = await FunctionAppServer.StartAsync(FunctionAppServer.Settings(azurite.ConnectionString, Prefix()));
        await using var local = new LocalHostApp(FunctionAppServer.Settings(azurite.ConnectionString, Prefix()));
        using var azureClient = functionApp.CreateClient();
        using var localClient = local.CreateClient();

        var azure = await SendAsync(azureClient, "GET", "/api/nowhere", "unknown");
        Assert.Equal((HttpStatusCode.NotFound, "application/problem+json"), azure);
        Assert.Equal(azure, await SendAsync(localClient, "GET", "/api/nowhere"));
        Assert.Null(functionApp.MatchedEndpoint("unknown"));
    }

    [Fact]
    public async Task A_matter_posted_through_the_http_entry_starts_its_orchestration_through_the_bound_Durable_client()
    {
        await using var functionApp = await FunctionAppServer.StartAsync(FunctionAppServer.Settings(azurite.ConnectionString, Prefix()));
        using var channel = functionApp.CreateClient(FunctionAppServer.ChannelKey);
        using var answer = await channel.PostAsJsonAsync("/api/matters", new Dictionary<string, object?>
        {
            ["channel"] = "phone", ["channelRef"] = "entry-1", ["type"] = "help", ["category"] = "water-pressure",
            ["title"] = "水压不足", ["description"] = "三楼以上没水",
            ["location"] = new Dictionary<string, object?> { ["address"] = "东湖区幸福路12号", ["district"] = "donghu" },
            ["citizen"] = new Dictionary<string, object?> { ["name"] = "张三", ["phone"] = "13800001234" },
        });
        Assert.True(answer.StatusCode == HttpStatusCode.Created, await answer.Content.ReadAsStringAsync());
        var id = (await answer.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetString()!;

        var instance = await functionApp.Durable.GetInstanceAsync(MatterOrchestration.InstanceId(id));
        Assert.NotNull(instance);
    }

    [Fact]
    public async Task The_rate_limiter_answers_429_through_the_http_entry_as_on_the_local_host()
    {
        var settings = FunctionAppServer.Settings(azurite.ConnectionString, Prefix());
        settings["Hotline:RateLimit:PerMinute"] = "2";
        await using var functionApp = await FunctionAppServer.StartAsync(settings);
        await using var local = new LocalHostApp(settings);
        using var azureClient = functionApp.CreateClient();
        using var localClient = local.CreateClient();

        async Task<List<(HttpStatusCode, string?)>> ThreeAsync(HttpClient client) =>
            [await SendAsync(client, "GET", "/open311/v2/services.json"), await SendAsync(client, "GET", "/open311/v2/services.json"),
             await SendAsync(client, "GET", "/open311/v2/services.json")];

        var azure = await ThreeAsync(azureClient);
        Assert.Equal(HttpStatusCode.OK, azure[0].Item1);
        Assert.Equal(HttpStatusCode.TooManyRequests, azure[2].Item1);
        Assert.Equal(await ThreeAsync(localClient), azure);
    }

    [Fact]
    public async Task An_unexpected_failure_answers_the_500_problem_through_the_http_entry_as_on_the_local_host()
    {
        var settings = FunctionAppServer.Settings(azurite.ConnectionString, Prefix());
        await using var functionApp = await FunctionAppServer.StartAsync(settings);
        await using var local = new LocalHostApp(settings);
        using var azureClient = functionApp.CreateClient(FunctionAppServer.StaffKey);
        using var localClient = local.CreateClient();
        localClient.DefaultRequestHeaders.Add("x-functions-key", FunctionAppServer.StaffKey);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(azureClient, "GET", "/api/matters")).Status);

        // Both hosts share these tables: the staff index disappears under them, which nothing expects.
        await functionApp.Services.GetRequiredService<HotlineTables>().MatterIndex.DeleteAsync();

        foreach (var client in new[] { azureClient, localClient })
        {
            using var answer = await client.GetAsync(new Uri("/api/matters", UriKind.Relative));
            Assert.Equal(HttpStatusCode.InternalServerError, answer.StatusCode);
            Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
            var problem = await answer.Content.ReadFromJsonAsync<JsonElement>();
            Assert.Equal(["detail", "status", "title", "traceId", "type"], problem.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
            Assert.Equal(StatusCodes.Status500InternalServerError, problem.GetProperty("status").GetInt32());
        }
    }
}
