// The user names the tool with more than 128 characters.
/// Add two numbers.
#[mcp::tool(
    name = "add_two_numbers_together_and_return_their_sum_as_a_floating_point_number_that_the_model_can_read_back_and_use_in_its_next_step_of_reasoning"
)]
fn add(a: f64, b: f64) -> f64 {
    a + b
}

fn main() {}
