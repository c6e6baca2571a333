public class SmokeData { [Fact] public void Builds() => true.ShouldBeTrue(); }
