// `npx verdict run examples/aplusb.cpp --stdin examples/aplusb.in`
#include <iostream>

int main() {
    long long a, b;
    std::cin >> a >> b;
    std::cout << a + b << '\n';
}
