FROM gcc:14
WORKDIR /src
RUN echo 'int main(){std::cout<<x;}' > a.cpp
USER nobody
CMD ["./a.out"]
