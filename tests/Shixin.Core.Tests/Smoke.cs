public class SmokeCore { [Fact] public void Builds() => true.ShouldBeTrue(); }
