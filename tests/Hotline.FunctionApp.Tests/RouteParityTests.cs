using System.Reflection;
using System.Text.RegularExpressions;
using Hotline.Api;
using Hotline.Runtime;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.DependencyInjection;

namespace Hotline.FunctionApp.Tests;

/// <summary>
/// The local host's routes (<see cref="HotlineRoutes.MapHotline"/>) and the Function App's HTTP triggers must be the
/// same set: a route in one host and not in the other fails here.
/// </summary>
public sealed partial class RouteParityTests
{
    private static string LocalHostRoot =>
        Path.Combine(typeof(RouteParityTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "HotlineRepository").Value!,
            "functions", "Hotline.LocalHost");

    /// <summary>"POST api/matters/{}/dispatch": method and template, parameter names and constraints left out.</summary>
    private static string Key(string method, string template) =>
        method.ToUpperInvariant() + " " + Parameter().Replace(template.Trim('/'), "{}");

    private static HashSet<string> LocalRoutes()
    {
        var builder = WebApplication.CreateBuilder(new WebApplicationOptions { ContentRootPath = LocalHostRoot });
        builder.Services.AddHotlineRuntime(HostSettings.Read(builder.Configuration, LocalHostRoot));
        builder.Services.AddHotlineApi(builder.Configuration);
        var app = builder.Build();
        app.MapHotline();
        return ((IEndpointRouteBuilder)app).DataSources.SelectMany(d => d.Endpoints).OfType<RouteEndpoint>()
            .SelectMany(e => (e.Metadata.GetMetadata<Microsoft.AspNetCore.Routing.IHttpMethodMetadata>()?.HttpMethods ?? ["(any)"])
                .Select(m => Key(m, Render(e.RoutePattern))))
            .ToHashSet();
    }

    private static string Render(Microsoft.AspNetCore.Routing.Patterns.RoutePattern pattern) =>
        string.Join("/", pattern.PathSegments.Select(segment => string.Concat(segment.Parts.Select(part => part switch
        {
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternLiteralPart literal => literal.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternSeparatorPart separator => separator.Content,
            Microsoft.AspNetCore.Routing.Patterns.RoutePatternParameterPart parameter => "{" + parameter.Name + "}",
            _ => "?",
        }))));

    /// <summary>Each trigger's routes; a regex alternative (<c>{action:regex(^(sign|return)$)}</c>) stands for each of its words.</summary>
    private static List<(string Function, string Key)> FunctionRoutes() =>
        [.. typeof(HttpFunctions).GetMethods()
            .Select(m => (Function: m.GetCustomAttribute<FunctionAttribute>()?.Name, Trigger: m.GetParameters().Select(p => p.GetCustomAttribute<HttpTriggerAttribute>()).FirstOrDefault(t => t is not null)))
            .Where(f => f.Function is not null && f.Trigger is not null)
            .SelectMany(f => (f.Trigger!.Methods ?? ["(any)"]).SelectMany(method => Expand(f.Trigger.Route!).Select(route => (f.Function!, Key(method, route)))))];

    private static IEnumerable<string> Expand(string route)
    {
        var alternatives = Alternatives().Match(route);
        if (!alternatives.Success) return [route];
        return alternatives.Groups["words"].Value.Split('|').SelectMany(word => Expand(route.Replace(alternatives.Value, word, StringComparison.Ordinal)));
    }

    [Fact]
    public void Every_local_route_has_an_Azure_trigger_and_every_trigger_a_local_route()
    {
        var local = LocalRoutes();
        var azure = FunctionRoutes();
        // Open311 has one catch-all trigger in Azure (every method): it serves every local route under its prefix.
        static string PathOf(string key) => key[(key.IndexOf(' ', StringComparison.Ordinal) + 1)..];
        var catchAlls = azure.Where(a => a.Key.EndsWith("/{}", StringComparison.Ordinal) && a.Key.StartsWith("(ANY) ", StringComparison.Ordinal))
            .Select(a => PathOf(a.Key)[..^2]).ToArray();
        bool Served(string route) => azure.Any(a => a.Key == route) || catchAlls.Any(prefix => PathOf(route).StartsWith(prefix, StringComparison.Ordinal));

        Assert.Empty(local.Where(route => !Served(route)).Order());
        Assert.Empty(azure.Where(a => !local.Contains(a.Key)).Select(a => $"{a.Function}: {a.Key}").Order());
        Assert.All(catchAlls, prefix => Assert.Contains(local, route => PathOf(route).StartsWith(prefix, StringComparison.Ordinal)));
        Assert.True(local.Count > 40, $"Only {local.Count} local routes were found.");
    }

    [GeneratedRegex(@"\{[^{}]*(\([^)]*\))?[^{}]*\}")]
    private static partial Regex Parameter();

    [GeneratedRegex(@"\{\w+:regex\(\^\((?<words>[\w/|-]+)\)\$\)\}")]
    private static partial Regex Alternatives();
}
