using Hotline.Storage.Tables;

namespace Hotline.Storage.Tests;

public sealed class TableFilterTests
{
    [Fact]
    public void String_values_are_quoted_with_inner_quotes_doubled()
    {
        Assert.Equal("'O''Brien'", TableFilter.Quote("O'Brien"));
        Assert.Equal("''''", TableFilter.Quote("'"));
        Assert.Equal(
            "PartitionKey eq 'x'' or PartitionKey ne ''x' and RowKey ge ''",
            TableFilter.Create($"PartitionKey eq {"x' or PartitionKey ne 'x"} and RowKey ge {""}"));
    }

    [Fact]
    public void Typed_values_become_odata_literals()
    {
        var id = Guid.Parse("0f8fad5b-d9cb-469f-a165-70867728950e");
        var when = new DateTimeOffset(2026, 2, 3, 12, 0, 0, TimeSpan.FromHours(8)).AddTicks(5);

        Assert.Equal(
            "A eq 42 and B eq 5000000000L and C eq 2.0 and D eq 0.1 and E eq true and F lt datetime'2026-02-03T04:00:00.0000005Z' and G eq guid'0f8fad5b-d9cb-469f-a165-70867728950e' and H eq X'00FF'",
            TableFilter.Create($"A eq {42} and B eq {5_000_000_000L} and C eq {2.0} and D eq {0.1} and E eq {true} and F lt {when} and G eq {id} and H eq {new byte[] { 0, 255 }}"));
    }

    [Fact]
    public void Values_that_have_no_literal_are_rejected()
    {
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"A eq {(string?)null}"));
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"A eq {1.5m}"));
        Assert.Throws<ArgumentException>(() => TableFilter.Create($"A eq {double.NaN}"));
    }
}
